// Large answers sent from a serialisation kept with them. The outline of a 10,000-step file is
// 10,000–15,000 document symbols, 2.4–3.5 MB of JSON; an editor asks for it several times per
// revision (the outline, breadcrumbs and sticky scroll), and turning it into JSON and then into
// UTF-8 bytes took about 15 ms of the server's time on every request. A `KeptJson` wraps such an
// answer and encodes it once, on the first request that needs it; the message writer made here
// sends those bytes as they are in each response instead of serialising the answer again.
//
// The kept bytes are written to the stream as they are, between the response's head and its
// closing brace, never joined into one buffer: a joined copy was megabytes outside the JavaScript
// heap per request, which V8 counts only loosely, so fifteen requests of the outline left 20–40 MB
// of dead copies before a collection came, and the collections they then forced cost the server
// more CPU than the copies (docs/performance.md, "The server's memory at its peak"). Once
// encoded, the answer itself is dropped: the bytes are all a request needs.
//
// The splice needs a transport where tsq writes the bytes itself: stdio (the protocol tests, the
// bench and most editors other than VS Code). Node IPC (the VS Code client) serialises each
// message in Node itself, and sockets and pipes keep the library's own writer, so on those
// `keep` hands out the plain answer. The bytes sent are exactly what `JSON.stringify` makes of
// the message, key order included; `toJSON` gives any other serialiser (the library's message
// tracing) the answer itself.

import { format } from 'node:util';
import {
  AbstractMessageWriter,
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';

/** An answer whose JSON is made once and kept with it (for answers asked for again unchanged). */
export class KeptJson<T> {
  private value?: T;
  private bytes?: Buffer;

  constructor(value: T) {
    this.value = value;
  }

  /** What any serialiser that is not the writer below sees: the answer itself (read back from its bytes once encoded). */
  toJSON(): T {
    return this.value ?? (JSON.parse(this.bytes!.toString('utf-8')) as T);
  }

  /** The answer's JSON in UTF-8, made on first use; the answer itself is let go then. */
  encoded(): Buffer {
    if (!this.bytes) {
      this.bytes = Buffer.from(JSON.stringify(this.value), 'utf-8');
      this.value = undefined;
    }
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

/**
 * The message's bytes, in the order they are sent: one buffer, or for a response carrying a
 * KeptJson result its head, the kept bytes themselves and the closing brace.
 */
export function messageParts(message: Message): Buffer[] {
  const { result } = message as { result?: unknown };
  if (!(result instanceof KeptJson)) return [Buffer.from(JSON.stringify(message), 'utf-8')];
  // The library builds responses as { jsonrpc, id, result } (in that order) and JSON.stringify
  // keeps that order; the head below is the same text, so the whole is byte for byte the same.
  const { jsonrpc, id } = message as { jsonrpc: string; id: unknown };
  const head = Buffer.from(`{"jsonrpc":${JSON.stringify(jsonrpc)},"id":${JSON.stringify(id)},"result":`, 'utf-8');
  return [head, result.encoded(), RESULT_END];
}

/**
 * Writes LSP messages to a stream (stdout), each framed by its length in bytes as the library's
 * stream writer frames it (`Content-Length`, no `Content-Type` for UTF-8 JSON), one message at a
 * time, and kept answers from their bytes (see the header).
 */
class KeptJsonWriter extends AbstractMessageWriter implements MessageWriter {
  private previous: Promise<void> = Promise.resolve();
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const written = this.previous.then(() => this.send(message));
    this.previous = written.catch(() => undefined);
    return written;
  }

  end(): void {
    this.stream.end();
  }

  private send(message: Message): Promise<void> {
    let parts: Buffer[];
    try {
      parts = messageParts(message);
    } catch (error) {
      this.fireError(error);
      return Promise.reject(error);
    }
    const length = parts.reduce((n, part) => n + part.byteLength, 0);
    return new Promise((resolve, reject) => {
      const written = (error?: Error | null) => {
        if (!error) return resolve();
        this.fireError(error, message, ++this.errorCount);
        reject(error);
      };
      this.stream.write(`Content-Length: ${length}\r\n\r\n`, 'ascii');
      for (let i = 0; i < parts.length - 1; i++) this.stream.write(parts[i]);
      this.stream.write(parts[parts.length - 1], written);
    });
  }
}

/** A writer of LSP messages to a stream (stdout) that sends kept answers from their bytes. */
export function keptJsonWriter(stream: NodeJS.WritableStream): MessageWriter {
  return new KeptJsonWriter(stream);
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
