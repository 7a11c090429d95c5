// get-key started again as a detached background process, for work that must not delay the
// command that starts it (revocations after the print, README "How caching and locking work"): its own session, no stdio
// and unreferenced, so the starting process exits at once and whoever waits for it (Claude Code)
// does not wait for the background work.
import { spawn } from 'node:child_process';

/** `self` is how to run get-key: [node, script] for the Node bundle, [executable] for a standalone one. */
export function startDetached(self: readonly string[], args: string[], env: NodeJS.ProcessEnv): void {
  // windowsHide: on Windows a detached console program would otherwise open a console window of its own.
  const child = spawn(self[0]!, [...self.slice(1), ...args], { detached: true, stdio: 'ignore', env, windowsHide: true });
  child.on('error', () => undefined); // could not start: the work stays for a later run
  child.unref();
}
