// Example from the seed: import contacts from CSV text. parse -> validate (per row) -> import -> report.
// Run: npx tsx examples/csv-import-agent.ts
import { pathToFileURL } from "node:url";
import { BatchNode, Graph, Node, ParallelBatchNode } from "../src/index.js";

export interface Contact {
  name: string;
  email: string;
  age: number;
}

export interface RowError {
  line: number;
  message: string;
}

export interface CsvImportShared {
  csv: string;
  rows?: Record<string, string>[];
  valid?: Contact[];
  errors?: RowError[];
  imported?: number;
  report?: string;
}

/** Where contacts go; a database in real life. */
export interface ContactDb {
  insert(contact: Contact): Promise<void>;
}

type Validation = { ok: true; contact: Contact } | { ok: false; error: RowError };

class ParseCsv extends Node<CsvImportShared, string, Record<string, string>[], "parsed" | "empty"> {
  override prep(shared: CsvImportShared): string {
    return shared.csv;
  }
  override exec(csv: string): Record<string, string>[] {
    const [header, ...lines] = csv.trim().split(/\r?\n/).filter((line) => line.trim() !== "");
    if (header === undefined) return [];
    const columns = header.split(",").map((c) => c.trim());
    return lines.map((line) => {
      const cells = line.split(",").map((c) => c.trim());
      return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
    });
  }
  override post(shared: CsvImportShared, _csv: string, rows: Record<string, string>[]): "parsed" | "empty" {
    shared.rows = rows;
    return rows.length > 0 ? "parsed" : "empty";
  }
}

class ValidateRows extends BatchNode<CsvImportShared, { row: Record<string, string>; line: number }, Validation, "import" | "nothing-valid"> {
  override prep(shared: CsvImportShared): { row: Record<string, string>; line: number }[] | undefined {
    return shared.rows?.map((row, i) => ({ row, line: i + 2 }));
  }
  override exec({ row, line }: { row: Record<string, string>; line: number }): Validation {
    const age = Number(row.age);
    if (!row.name) return { ok: false, error: { line, message: "name is missing" } };
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(row.email ?? "")) return { ok: false, error: { line, message: `invalid email "${row.email}"` } };
    if (!Number.isInteger(age) || age < 0) return { ok: false, error: { line, message: `invalid age "${row.age}"` } };
    return { ok: true, contact: { name: row.name, email: (row.email as string).toLowerCase(), age } };
  }
  override post(shared: CsvImportShared, _items: unknown, results: Validation[]): "import" | "nothing-valid" {
    shared.valid = results.flatMap((r) => (r.ok ? [r.contact] : []));
    shared.errors = results.flatMap((r) => (r.ok ? [] : [r.error]));
    return shared.valid.length > 0 ? "import" : "nothing-valid";
  }
}

/** Inserts concurrently (4 at a time); each row gets its own 3 attempts with backoff. */
class ImportContacts extends ParallelBatchNode<CsvImportShared, Contact, boolean> {
  constructor(private readonly db: ContactDb) {
    super({ concurrency: 4, maxRetries: 3, waitMs: 5, backoff: { factor: 2, jitter: 0.2 } });
  }
  override prep(shared: CsvImportShared): Contact[] | undefined {
    return shared.valid;
  }
  override async exec(contact: Contact): Promise<boolean> {
    await this.db.insert(contact);
    return true;
  }
  override execFallback(): boolean {
    return false;
  }
  override post(shared: CsvImportShared, _contacts: readonly Contact[], inserted: boolean[]): void {
    shared.imported = inserted.filter(Boolean).length;
  }
}

class Report extends Node<CsvImportShared> {
  override post(shared: CsvImportShared): void {
    const lines = [`imported ${shared.imported ?? 0} of ${shared.rows?.length ?? 0} rows`];
    for (const error of shared.errors ?? []) lines.push(`  line ${error.line}: ${error.message}`);
    shared.report = lines.join("\n");
  }
}

export function createCsvImportGraph(db: ContactDb): Graph<CsvImportShared> {
  const parse = new ParseCsv({ id: "parse" });
  const validate = new ValidateRows({ id: "validate" });
  const importer = new ImportContacts(db);
  const report = new Report({ id: "report" });
  parse.on("parsed", validate).on("empty", report);
  validate.on("import", importer).on("nothing-valid", report);
  importer.next(report);
  return new Graph<CsvImportShared>(parse, { id: "csv-import" });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows: Contact[] = [];
  const shared: CsvImportShared = {
    csv: "name,email,age\nAda,ada@example.com,36\nBob,not-an-email,40\nCy,cy@example.com,-1\nDee,DEE@example.com,29",
  };
  await createCsvImportGraph({ insert: async (c) => void rows.push(c) }).run(shared);
  console.log(shared.report);
  console.log(rows);
}
