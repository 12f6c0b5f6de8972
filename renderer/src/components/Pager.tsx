/** Paging through a long list: first, previous, "page N of M", next, last; buttons, so keys work as usual. */
const numbers = new Intl.NumberFormat();

/** 100000 → "100,000" in the window's locale. */
export function formatCount(n: number): string {
  return numbers.format(n);
}

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
      {button('First', 0, offset === 0, 'first')}
      {button('Previous', Math.max(0, offset - pageSize), offset === 0, 'previous')}
      <span className="muted" data-testid={`${testId}-page`}>
        Page {formatCount(page)} of {formatCount(pages)}
      </span>
      {button('Next', offset + pageSize, offset + pageSize >= total, 'next')}
      {button('Last', lastOffset, offset >= lastOffset, 'last')}
    </nav>
  );
}
