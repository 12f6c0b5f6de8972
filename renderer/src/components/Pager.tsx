/** Paging through a long list: first, previous, "page N of M", next, last; buttons, so keys work as usual. */
import { useT } from '../i18n/react';

export function Pager({
  testId,
  label,
  offset,
  pageSize,
  total,
  onOffset,
}: {
  testId: string;
  label: string;
  offset: number;
  pageSize: number;
  total: number;
  onOffset: (offset: number) => void;
}) {
  const { t, format } = useT();
  if (total <= pageSize && offset === 0) return null;
  const page = Math.floor(offset / pageSize) + 1;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const lastOffset = (pages - 1) * pageSize;
  const button = (text: string, target: number, disabled: boolean, name: string) => (
    <button
      type="button"
      className="button button-small button-secondary"
      data-testid={`${testId}-${name}`}
      disabled={disabled}
      onClick={() => onOffset(target)}
    >
      {text}
    </button>
  );
  return (
    <nav className="pager actions" aria-label={label} data-testid={testId}>
      {button(t('pager.first'), 0, offset === 0, 'first')}
      {button(t('pager.previous'), Math.max(0, offset - pageSize), offset === 0, 'previous')}
      <span className="muted" data-testid={`${testId}-page`}>
        {t('pager.page', { page: format.number(page), pages: format.number(pages) })}
      </span>
      {button(t('pager.next'), offset + pageSize, offset + pageSize >= total, 'next')}
      {button(t('pager.last'), lastOffset, offset >= lastOffset, 'last')}
    </nav>
  );
}
