/** The start of a PHC string hashed with these argon2id parameters: `$argon2id$v=19$m=…,t=…,p=…$`. */
export function phcPrefix(parameters: { memoryCost: number; timeCost: number; parallelism: number }): string {
  return `$argon2id$v=19$m=${parameters.memoryCost},t=${parameters.timeCost},p=${parameters.parallelism}$`;
}
