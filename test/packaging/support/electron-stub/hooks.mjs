const stub = new URL('./electron.mjs', import.meta.url).href;
// SC_STUB_BROKEN_MODULE=<name>: that module fails to load, as a native module built for another platform would
const broken = process.env.SC_STUB_BROKEN_MODULE;

export async function resolve(specifier, context, next) {
  if (broken && specifier === broken) throw new Error(`Cannot find module '${broken}' (stand-in failure)`);
  return specifier === 'electron' ? { url: stub, shortCircuit: true } : next(specifier, context);
}
