// File modes as messages show them.

/** The permission bits of `mode` in octal, e.g. `0600`. */
export const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
