// Large answers sent from a serialisation kept with them. The outline of a 10,000-step file is
// 10,000–15,000 document symbols, 2.4–3.5 MB of JSON; an editor asks for it several times per
// revision (the outline, breadcrumbs and sticky scroll), and turning it into JSON and then into
// UTF-8 bytes took about 15 ms of the server's time on every request. A `KeptJson` wraps such an
// answer and encodes it once, on the first request that needs it; the message writer made here
// splices those bytes into each response instead of serialising the answer again.
//
// The splice needs a transport where tsq writes the bytes itself: stdio (the protocol tests, the
// bench and most editors other than VS Code). Node IPC (the VS Code client) serialises each
// message in Node itself, and sockets and pipes keep the library's own writer, so on those
// `keep` hands out the plain answer. The spliced bytes are exactly what `JSON.stringify` makes of
// the message, key order included; `toJSON` gives any other serialiser (the library's message
// tracing) the answer itself.

import { format } from 'node:util';
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';

/** An answer whose JSON is made once and kept with it (for answers asked for again unchanged). */
export class KeptJson<T> {
  private bytes?: Buffer;

  constructor(readonly value: T) {}

  /** What any serialiser that is not the writer below sees: the answer itself. */
  toJSON(): T {
    return this.value;
  }

  /** The answer's JSON in UTF-8, made on first use. */
  encoded(): Buffer {
    this.bytes ??= Buffer.from(JSON.stringify(this.value), 'utf-8');
    return this.bytes;
  }
}

/** Set when the connection writes with `keptJsonWriter` (stdio); only then is keeping worth it. */
let writerSplicesKeptJson = false;

/** `value`, kept with its JSON when the connection's writer can send it from there. */
export function keep<T>(value: T): T | KeptJson<T> {
  return writerSplicesKeptJson ? new KeptJson(value) : value;
}

const RESULT_END = Buffer.from('}');

/** The message's bytes: a response carrying a KeptJson result gets its kept bytes spliced in. */
export function encodeMessage(message: Message): Buffer {
  const { result } = message as { result?: unknown };
  if (!(result instanceof KeptJson)) return Buffer.from(JSON.stringify(message), 'utf-8');
  // The library builds responses as { jsonrpc, id, result } (in that order) and JSON.stringify
  // keeps that order; the head below is the same text, so the whole is byte for byte the same.
  const { jsonrpc, id } = message as { jsonrpc: string; id: unknown };
  const head = Buffer.from(`{"jsonrpc":${JSON.stringify(jsonrpc)},"id":${JSON.stringify(id)},"result":`, 'utf-8');
  return Buffer.concat([head, result.encoded(), RESULT_END]);
}

/** A writer of LSP messages to a stream (stdout) that sends kept answers from their bytes. */
export function keptJsonWriter(stream: NodeJS.WritableStream): MessageWriter {
  return new StreamMessageWriter(stream, {
    charset: 'utf-8',
    contentTypeEncoder: { name: 'application/json', encode: (message) => Promise.resolve(encodeMessage(message)) },
  });
}

/**
 * The server's connection over stdin/stdout, writing with the writer above. It does what the
 * library's own `--stdio` connection does besides: the server ends when the client's end of stdin
 * closes (exit code 0 after a shutdown request, else 1), and `console` output goes to the client's
 * log, since anything else written to stdout would break the protocol.
 */
export function stdioConnection(shutdownReceived: () => boolean) {
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    keptJsonWriter(process.stdout),
  );
  writerSplicesKeptJson = true;
  const exit = () => process.exit(shutdownReceived() ? 0 : 1);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  const toLog = (...args: unknown[]) => connection.console.log(format(...args));
  // tsq never writes to the console; this keeps a library's stray line off the protocol's stdout.
  Object.assign(console, {
    log: toLog,
    info: toLog,
    debug: toLog,
    warn: (...args: unknown[]) => connection.console.warn(format(...args)),
    error: (...args: unknown[]) => connection.console.error(format(...args)),
  });
  return connection;
}
