// Types of scripts/build-standalone.mjs, for the TypeScript scripts that use it (scripts/bench.ts).
export const TARGETS: Record<string, { bun: string; pkg: string; exe: string; suffix: string }>;
export const hostTarget: string;
export function hostBun(): string;
export function buildStandalone(target: string, options?: { outfile?: string; bytecode?: boolean; entry?: string }): string;
