/** Fails the whole run at once, with the reason, when the app cannot be launched here. Never a silent pass. */
import { launchTarget } from './launch';

export default function globalSetup(): void {
  const target = launchTarget();
  console.log(`test:electron: ${target.description}`);
}
