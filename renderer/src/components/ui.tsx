/** Small building blocks: labelled fields with their errors, live messages, the auth card. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useT } from '../i18n/react';

/** Announced when it appears (the region itself is always there, so screen readers notice the change). */
export function LiveMessage({
  testId,
  message,
  tone = 'error',
}: {
  testId: string;
  message: string | null | undefined;
  tone?: 'error' | 'success' | 'info';
}) {
  return (
    <div className="live" aria-live={tone === 'error' ? 'assertive' : 'polite'} aria-atomic="true">
      {message ? (
        <p className={`message message-${tone}`} data-testid={testId}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

interface FieldShellProps {
  id: string;
  label: string;
  testId: string;
  hint?: ReactNode;
  error?: string | null;
  children: (aria: {
    id: string;
    'aria-invalid': boolean | undefined;
    'aria-describedby': string | undefined;
  }) => ReactNode;
  className?: string;
  /** More ids describing the control (e.g. rules shown above the form). */
  describedBy?: string;
}

/** A label, the control, an optional hint and the field's error, wired together for assistive tech. */
function FieldShell({
  id,
  label,
  testId,
  hint,
  error,
  children,
  className,
  describedBy: extra,
}: FieldShellProps) {
  // An error replaces the hint: one clear sentence under the field.
  const hintId = hint && !error ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [extra, hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      <div className="field-notes">
        {hintId ? (
          <p className="hint" id={hintId}>
            {hint}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id={errorId} data-testid={`${testId}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: string;
  testId: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ReactNode;
  error?: string | null;
  fieldClassName?: string;
};

export function TextField({
  label,
  testId,
  value,
  onValue,
  hint,
  error,
  fieldClassName,
  'aria-describedby': extra,
  ...input
}: TextFieldProps) {
  const generated = useId();
  const id = input.id ?? generated;
  return (
    <FieldShell
      id={id}
      label={label}
      testId={testId}
      hint={hint}
      error={error}
      className={fieldClassName}
      describedBy={extra}
    >
      {(aria) => (
        <input
          type="text"
          {...input}
          {...aria}
          data-testid={testId}
          value={value}
          onChange={(event) => onValue(event.target.value)}
        />
      )}
    </FieldShell>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  label: string;
  testId: string;
  value: string;
  onValue: (value: string) => void;
  options: readonly { value: string; label: string }[];
  hint?: ReactNode;
  error?: string | null;
  fieldClassName?: string;
};

export function SelectField({
  label,
  testId,
  value,
  onValue,
  options,
  hint,
  error,
  fieldClassName,
  ...select
}: SelectProps) {
  const generated = useId();
  const id = select.id ?? generated;
  return (
    <FieldShell id={id} label={label} testId={testId} hint={hint} error={error} className={fieldClassName}>
      {(aria) => (
        <select
          {...select}
          {...aria}
          data-testid={testId}
          value={value}
          onChange={(e) => onValue(e.target.value)}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export function CheckboxField({
  label,
  testId,
  checked,
  onChecked,
  hint,
  disabled,
}: {
  label: string;
  testId: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: ReactNode;
  disabled?: boolean;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field field-checkbox">
      <input
        type="checkbox"
        id={id}
        data-testid={testId}
        checked={checked}
        disabled={disabled}
        aria-describedby={hintId}
        onChange={(e) => onChecked(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The centred card every login step is shown in. */
export function AuthCard({
  title,
  testId,
  children,
  wide,
  corner,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  wide?: boolean;
  /** Beside the brand, e.g. the language picker. */
  corner?: ReactNode;
}) {
  const { t } = useT();
  return (
    <main className="auth-page">
      <section
        className={`auth-card${wide ? ' auth-card-wide' : ''}`}
        data-testid={testId}
        aria-labelledby="auth-title"
      >
        <div className="auth-card-head">
          <p className="brand" aria-hidden="true">
            <span className="brand-mark" />
            {t('app.name')}
          </p>
          {corner}
        </div>
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}

/** A table's one row that says it has nothing to show (the tables of the admin screens). */
export function EmptyRow({
  columns,
  testId,
  children,
}: {
  columns: number;
  testId: string;
  children: ReactNode;
}) {
  return (
    <tr>
      <td colSpan={columns} className="empty" data-testid={testId}>
        {children}
      </td>
    </tr>
  );
}
