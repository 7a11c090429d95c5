// Anthropic Messages answers: the non-streaming `message` object and the SSE event sequence a
// real Claude Code run accepted (claude-code-apikeyhelper.md §10): message_start, per block
// content_block_start / (one ping after the first start) / content_block_delta /
// content_block_stop, then message_delta and message_stop. Each event is
// `event: <type>\ndata: <json>\n\n`, the JSON repeating the type.
import { randomBytes } from 'node:crypto';
import type { Reply, ReplyBlock } from './state';

interface ToolUse {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}
type Block = { type: 'text'; text: string } | ToolUse;

export interface Answer {
  id: string;
  model: string;
  blocks: Block[];
  inputTokens: number;
  outputTokens: number;
}

const randomId = (prefix: string) => `${prefix}${randomBytes(12).toString('base64url')}`;

function toBlock(block: ReplyBlock): Block {
  return block.type === 'text' ? block : { type: 'tool_use', id: block.id ?? randomId('toolu_'), name: block.name, input: block.input };
}

/** A rough token count (4 characters a token), never below 1. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

export function buildAnswer(reply: Reply, model: string, request: Record<string, unknown>): Answer {
  const blocks = typeof reply === 'string' ? [{ type: 'text' as const, text: reply }] : reply.map(toBlock);
  return {
    id: randomId('msg_'),
    model,
    blocks,
    inputTokens: estimateTokens([request.system, request.messages]),
    outputTokens: estimateTokens(blocks),
  };
}

const stopReason = (a: Answer) => (a.blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');

function usage(a: Answer, outputTokens: number) {
  return { input_tokens: a.inputTokens, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

export function messageJson(a: Answer): Record<string, unknown> {
  return {
    id: a.id,
    type: 'message',
    role: 'assistant',
    model: a.model,
    content: a.blocks,
    stop_reason: stopReason(a),
    stop_sequence: null,
    usage: usage(a, a.outputTokens),
  };
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

export function sseEvents(a: Answer): string[] {
  const message = {
    id: a.id,
    type: 'message',
    role: 'assistant',
    model: a.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: usage(a, 1),
  };
  const out = [event('message_start', { message })];
  a.blocks.forEach((block, index) => {
    const start = block.type === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: block.id, name: block.name, input: {} };
    out.push(event('content_block_start', { index, content_block: start }));
    if (index === 0) out.push(event('ping', {}));
    const delta =
      block.type === 'text'
        ? { type: 'text_delta', text: block.text }
        : { type: 'input_json_delta', partial_json: JSON.stringify(block.input) };
    out.push(event('content_block_delta', { index, delta }));
    out.push(event('content_block_stop', { index }));
  });
  out.push(
    event('message_delta', { delta: { stop_reason: stopReason(a), stop_sequence: null }, usage: { output_tokens: a.outputTokens } }),
  );
  out.push(event('message_stop', {}));
  return out;
}
