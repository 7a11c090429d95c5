// Reads and validates the JSON config file; every problem becomes one configuration error that
// names the file and, for schema problems, the JSON path.
import type { Config } from '../../domain/config';
import { configSchema } from '../../domain/config';
import { configError } from '../../domain/errors';
import { jsonErrorOffset, lineAndColumn } from '../../domain/json-error';
import { ConfigShapeError } from '../../domain/schema';
import { readPrivateFile } from '../store/secure-fs';

/** Where the text stops being JSON, found the same way under every runtime. */
function where(text: string): string {
  const offset = jsonErrorOffset(text);
  return offset === undefined ? '' : lineAndColumn(text, offset);
}

/** The parsed config, or undefined when the file does not exist. */
export function loadConfig(file: string): Config | undefined {
  // Not private (it holds no secret), but a regular file of at most 1 MiB: a FIFO there must not hang.
  const text = readPrivateFile(file, 'config file', { forbidden: 0, oversized: 'error', followSymlinks: true });
  if (text === undefined || text === null) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw configError(`config file ${file} is not valid JSON${where(text)}`, {
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
