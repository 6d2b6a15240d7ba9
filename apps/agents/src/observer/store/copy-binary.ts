// COPY … FROM STDIN (FORMAT binary): PostgreSQL takes numbers, booleans and instants as they are stored
// instead of parsing their text (a quarter less of its time for a usage import, indexes included), and
// the rows are written straight into a buffer instead of built as strings and encoded.
// Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in ms since 1970. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
/** Rows per chunk handed to the connection (a few dozen KB). */
const CHUNK_ROWS = 256;
/** Strings up to this long are tried as ASCII first. */
const SHORT_TEXT = 256;

/** Writes one chunk of binary COPY data: `row(n)` then n fields, per row. */
export class BinaryRows {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;

  private room(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  header() {
    this.room(19);
    SIGNATURE.copy(this.buf, this.pos);
    this.buf.writeInt32BE(0, this.pos + 11); // flags
    this.buf.writeInt32BE(0, this.pos + 15); // header extension length
    this.pos += 19;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number) {
    this.room(2);
    this.buf[this.pos] = fields >>> 8;
    this.buf[this.pos + 1] = fields;
    this.pos += 2;
  }

  /** Ends the data (after the last row). */
  trailer() {
    this.row(-1);
  }

  private null() {
    this.room(4);
    this.int32(-1, this.pos);
    this.pos += 4;
  }

  text(v: string | null) {
    if (v === null) return this.null();
    this.room(4 + 3 * v.length);
    const n = this.utf8(v, this.pos + 4);
    this.int32(n, this.pos);
    this.pos += 4 + n;
  }

  /**
   * Writes `v` as UTF-8 at `at`, returning its length in bytes. Short ASCII text (ids, names, models)
   * is copied by this loop: Buffer#write's call costs more than such a string's bytes.
   */
  private utf8(v: string, at: number): number {
    const n = v.length;
    if (n <= SHORT_TEXT) {
      const buf = this.buf;
      let k = 0;
      for (; k < n; k++) {
        const c = v.charCodeAt(k);
        if (c > 0x7f) break;
        buf[at + k] = c;
      }
      if (k === n) return n;
    }
    return this.buf.write(v, at, "utf8");
  }

  /** A big-endian 32-bit integer (two's complement) at `at`. */
  private int32(v: number, at: number) {
    const buf = this.buf;
    buf[at] = v >>> 24;
    buf[at + 1] = v >>> 16;
    buf[at + 2] = v >>> 8;
    buf[at + 3] = v;
  }

  /** jsonb: a version byte, then the JSON text. */
  jsonb(json: string | null) {
    if (json === null) return this.null();
    this.room(5 + 3 * json.length);
    this.buf[this.pos + 4] = 1;
    const n = this.utf8(json, this.pos + 5);
    this.int32(n + 1, this.pos);
    this.pos += 5 + n;
  }

  bool(v: boolean) {
    this.room(5);
    this.int32(1, this.pos);
    this.buf[this.pos + 4] = v ? 1 : 0;
    this.pos += 5;
  }

  int4(v: number | null) {
    if (v === null) return this.null();
    this.room(8);
    this.int32(4, this.pos);
    this.int32(v, this.pos + 4);
    this.pos += 8;
  }

  /** A safe integer as int8 (two 32-bit halves: BigInt would cost more than the rest of the row). */
  int8(v: number) {
    this.room(12);
    this.int32(8, this.pos);
    const high = Math.floor(v / TWO_32);
    this.int32(high, this.pos + 4);
    this.int32(v - high * TWO_32, this.pos + 8);
    this.pos += 12;
  }

  float8(v: number | null) {
    if (v === null) return this.null();
    this.room(12);
    this.pos = this.buf.writeInt32BE(8, this.pos);
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  /** timestamptz: microseconds since 2000-01-01 UTC, as int8. */
  timestamptz(at: Date) {
    this.int8((at.getTime() - PG_EPOCH_MS) * 1000);
  }

  /** What was written since the last take, as a buffer of its own. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

/** Streams `rows` (each written by `put`, which starts it with `w.row(n)`) into the binary COPY `sql`. */
export async function copyBinary<T>(client: pg.ClientBase, sql: string, rows: T[], put: (w: BinaryRows, row: T) => void) {
  const w = new BinaryRows();
  await pipeline(
    Readable.from(
      (function* () {
        w.header();
        for (let i = 0; i < rows.length; i++) {
          put(w, rows[i]!);
          if ((i + 1) % CHUNK_ROWS === 0) yield w.take();
        }
        w.trailer();
        yield w.take();
      })(),
    ),
    client.query(copyFrom(sql)),
  );
}
