/**
 * A code as people type or paste it: "123 456", "123-456", "123456\n". Returns the bare code, or null
 * when what is left cannot be a code (empty, too short or too long, or other characters): such input is
 * refused without asking Sinch and without counting an attempt.
 */
export function normalizeCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  return /^[0-9A-Za-z]{4,10}$/.test(compact) ? compact : null;
}
