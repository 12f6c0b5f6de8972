// A message catalog imported by area (tools/i18n/catalogs.ts compiles it; its shape is the build's).
// This file is a script, not a module, so that these declarations name modules.
declare module '*.json?area=logOn' {
  const catalog: unknown;
  export default catalog;
}
declare module '*.json?area=admin' {
  const catalog: unknown;
  export default catalog;
}
