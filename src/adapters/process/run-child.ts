// Runs a program to its end and collects what it printed: its exit code (or signal), stdout,
// stderr and how long it took, ended by SIGKILL after a timeout. doctor runs the apiKeyHelper and
// other programs with it; the tests and scripts run get-key and Claude Code with it.
import { spawn } from 'node:child_process';
import type { ProcessResult } from '../../app/ports/doctor';
import { timerDelay } from '../../domain/duration';
import type { Env } from '../../domain/profile';

export interface ChildRunOptions {
  /** The child's whole environment (variables set to undefined are left out). */
  env?: Env;
  cwd?: string;
  /** Killed with SIGKILL after this long: `timedOut`, `code` null. */
  timeoutMs: number;
  /** stdin a pipe that stays open until the child ends (as Claude Code runs apiKeyHelper); else none. */
  openStdin?: boolean;
  /** In a process group of its own, so that the timeout ends the child's children too. */
  ownGroup?: boolean;
  /** Windows: hand the arguments over as they are (a command line for cmd). */
  verbatim?: boolean;
  /** Run as this uid and gid (only a root process may). */
  uid?: number;
}

/** What doctor's probes report (ProcessResult), and the signal that ended the child. */
export interface ChildRun extends ProcessResult {
  signal: NodeJS.Signals | null;
}

export function runChild(file: string, args: readonly string[], options: ChildRunOptions): Promise<ChildRun> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(file, args, {
      env: options.env as NodeJS.ProcessEnv | undefined,
      cwd: options.cwd,
      stdio: [options.openStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: options.ownGroup === true,
      windowsVerbatimArguments: options.verbatim,
      windowsHide: true, // detached on Windows would open a console window
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (options.ownGroup) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
          return;
        } catch {
          // no process group (Windows): the child alone
        }
      }
      child.kill('SIGKILL');
    }, timerDelay(options.timeoutMs));
    const finish = (code: number | null, signal: NodeJS.Signals | null, missing = false) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      done({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut, missing });
    };
    child.on('error', (err: NodeJS.ErrnoException) => finish(null, null, err.code === 'ENOENT'));
    child.on('close', (code, signal) => finish(timedOut ? null : code, signal));
  });
}
