// Reads and validates the JSON config file; every problem becomes one configuration error that
// names the file and, for schema problems, the JSON path.
import type { Config } from '../../domain/config';
import { configSchema } from '../../domain/config';
import { configError } from '../../domain/errors';
import { ConfigShapeError } from '../../domain/schema';
import { readPrivateFile } from '../store/secure-fs';

/** Line and column of a JSON.parse error position, when Node reports one. */
function where(text: string, message: string): string {
  const pos = /position (\d+)/.exec(message);
  if (!pos) return '';
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** The parsed config, or undefined when the file does not exist. */
export function loadConfig(file: string): Config | undefined {
  // Not private (it holds no secret), but a regular file of at most 1 MiB: a FIFO there must not hang.
  const text = readPrivateFile(file, 'config file', { forbidden: 0, oversized: 'error', followSymlinks: true });
  if (text === undefined || text === null) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw configError(`config file ${file} is not valid JSON${where(text, (err as Error).message)}`, {
      hint: 'comments and trailing commas are not allowed',
    });
  }
  try {
    return configSchema(raw, '$');
  } catch (err) {
    if (err instanceof ConfigShapeError)
      throw configError(`config file ${file}: ${err.problem} at ${err.jsonPath}`, { hint: 'see the README, "Configuration"' });
    throw err;
  }
}
