import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal dialog (the native <dialog>: focus stays inside, Esc cancels), titled by the element with the id
 * `${testId}-title`. Focus starts on `initialFocus` (a selector inside the dialog) and returns to what
 * opened it.
 */
export function Modal({
  testId,
  initialFocus,
  onCancel,
  wide,
  children,
}: {
  testId: string;
  initialFocus: string;
  onCancel: () => void;
  wide?: boolean;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    // showModal() focuses the first control; the caller knows the better place to start.
    element?.querySelector<HTMLElement>(initialFocus)?.focus();
    return () => {
      if (element?.open) element.close();
      opener?.focus();
    };
  }, [initialFocus]);

  return (
    <dialog
      ref={dialog}
      className={`dialog${wide ? ' dialog-wide' : ''}`}
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
