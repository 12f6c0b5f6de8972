/**
 * The one form hook of the window: a form's values, its problems (the window's own checks and main's
 * answers), focus on the first problem, and the "submitting" state that makes a double submit impossible.
 * Every form uses it, and every button that sends a request uses its `useSingleFlight` (Resend, Test
 * connection, SSO).
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { toWindowError } from '../api';

/**
 * Runs `action` at most once at a time. The guard is a ref, set before the first await: a second click or
 * Enter in the same frame (before React has re-rendered with `running`) is dropped, not sent again.
 */
export function useSingleFlight<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
): { run: (...args: A) => Promise<void>; running: boolean } {
  const flying = useRef(false);
  const [running, setRunning] = useState(false);
  const run = useCallback(
    async (...args: A) => {
      if (flying.current) return;
      flying.current = true;
      setRunning(true);
      try {
        await action(...args);
      } finally {
        flying.current = false;
        setRunning(false);
      }
    },
    [action],
  );
  return { run, running };
}

type Problems<F extends string> = Partial<Record<F, string>>;

export interface FormOptions<V, F extends string> {
  initial: V | (() => V);
  /** Each field's control id, in page order: after a refused submit the first field with a problem gets focus. */
  controls: Record<F, string>;
  /** The window's own checks (main checks everything again): a message per field with a problem. */
  check?: (values: V) => Problems<F>;
  /** Check a field as soon as it has been changed, not only on submit. */
  checkWhileTyping?: boolean;
  /**
   * Sends the form. Throwing refuses it: an error about one of the fields (main's `field`, through `fieldOf`
   * when main names it differently) is shown under that field, any other as the form's message.
   */
  send: (values: V) => Promise<void>;
  fieldOf?: (mainField: string) => F | undefined;
}

export interface Form<V, F extends string> {
  values: V;
  set<K extends keyof V>(key: K, value: V[K]): void;
  /** New values (e.g. main's answer after a save), forgetting problems and changes. */
  reset(values: V): void;
  /** The message to show under a field, if any. */
  error(field: F): string | undefined;
  /** A message about the whole form (main's refusal that names no field). */
  formError: string | null;
  submitting: boolean;
  /** The last submit stopped at the window's own checks (nothing was sent). */
  stoppedByChecks: boolean;
  /** The form's onSubmit: checks, focuses the first problem, or sends once. */
  onSubmit(event?: FormEvent): void;
  /** Runs the checks and sends, as onSubmit does; resolves when the answer is in. */
  submit(): Promise<void>;
}

function focusFirst<F extends string>(problems: Problems<F>, controls: Record<F, string>): boolean {
  const first = (Object.keys(controls) as F[]).find((field) => problems[field]);
  if (first !== undefined) document.getElementById(controls[first])?.focus();
  return first !== undefined;
}

export function useForm<V, F extends string>(options: FormOptions<V, F>): Form<V, F> {
  const { controls, check, checkWhileTyping, send, fieldOf } = options;
  const [values, setValues] = useState<V>(options.initial);
  const [checked, setChecked] = useState<Problems<F>>({});
  const [answered, setAnswered] = useState<Problems<F>>({});
  const [changed, setChanged] = useState<Partial<Record<keyof V, boolean>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // The latest values, for a submit that runs before React re-renders (auto-submit on the last digit).
  const latest = useRef(values);
  const [stopped, setStopped] = useState(false);

  const { run, running } = useSingleFlight(async (current: V) => {
    const found = check?.(current) ?? {};
    setChecked(found);
    setAnswered({});
    setFormError(null);
    const refused = focusFirst(found, controls);
    setStopped(refused);
    if (refused) return;
    try {
      await send(current);
      setChanged({});
    } catch (error) {
      const { message, field } = toWindowError(error);
      const local =
        field === undefined
          ? undefined
          : (fieldOf?.(field) ?? (field in controls ? (field as F) : undefined));
      if (local === undefined) {
        setFormError(message);
        return;
      }
      setAnswered({ [local]: message } as Problems<F>);
      document.getElementById(controls[local])?.focus();
    }
  });

  const live: Problems<F> = checkWhileTyping ? (check?.(values) ?? {}) : {};
  return {
    values,
    set(key, value) {
      latest.current = { ...latest.current, [key]: value };
      setValues((v) => ({ ...v, [key]: value }));
      setChanged((c) => ({ ...c, [key]: true }));
      const field = key as unknown as F;
      setChecked((p) => (p[field] ? { ...p, [field]: undefined } : p));
      setAnswered((p) => (p[field] ? { ...p, [field]: undefined } : p));
      setFormError(null);
      setStopped(false);
    },
    reset(next) {
      latest.current = next;
      setValues(next);
      setChecked({});
      setAnswered({});
      setChanged({});
      setFormError(null);
    },
    error: (field) =>
      answered[field] ?? checked[field] ?? (changed[field as unknown as keyof V] ? live[field] : undefined),
    formError,
    submitting: running,
    stoppedByChecks: stopped,
    onSubmit(event) {
      event?.preventDefault();
      void run(latest.current);
    },
    submit: () => run(latest.current),
  };
}
