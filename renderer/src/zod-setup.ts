/**
 * Imported first by Shell.tsx, before any schema is built: zod's JIT probes `new Function`, which the CSP
 * (no 'unsafe-eval') refuses and reports as a violation. Jitless parsing is plenty for forms.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
