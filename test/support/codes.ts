/** A six-digit code that is not `code`: the one definition of "a wrong code" for every test. */
export function wrongCodeFor(code: string): string {
  return code === '000000' ? '111111' : '000000';
}
