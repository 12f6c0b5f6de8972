/**
 * Imported first by main.tsx, before any schema is built: zod's JIT probes `new Function`, which the CSP
 * (no 'unsafe-eval') refuses and reports as a violation. Jitless parsing is plenty for forms.
 */
import { z } from 'zod';

z.config({ jitless: true });
