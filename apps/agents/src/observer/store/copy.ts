// COPY … FROM STDIN in text format, for large writes: for PostgreSQL it costs well under half of an
// INSERT … SELECT over array or JSON parameters.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A text field: \N for NULL, backslash escapes (log lines hold tabs, backslashes and newlines). */
export const copyField = (v: string | null) => (v === null ? "\\N" : SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v);

const CHUNK = 256;

/** Streams `rows` (each formatted by `line`, ending in a newline) into the COPY statement `sql`. */
export async function copyRows<T>(client: pg.ClientBase, sql: string, rows: T[], line: (row: T) => string) {
  await pipeline(
    Readable.from(
      (function* () {
        // Chunks of a few dozen KB: one string of the whole batch would cost a fresh mapping of memory.
        for (let i = 0; i < rows.length; i += CHUNK)
          yield rows
            .slice(i, i + CHUNK)
            .map(line)
            .join("");
      })(),
    ),
    client.query(copyFrom(sql)),
  );
}
