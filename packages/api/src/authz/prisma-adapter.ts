// casbin adapter over the shared Prisma client (authorization_rules). Rules are added and removed
// one by one; the whole-table savePolicy is refused because several web instances share the table.
import type { ControlDb } from "@kayos/db/control";
import type { Adapter, Model } from "casbin";

const columns = ["v0", "v1", "v2", "v3", "v4", "v5"] as const;
const toRow = (ptype: string, rule: string[]) => ({
  ptype,
  ...Object.fromEntries(columns.map((c, i) => [c, rule[i] ?? ""])),
});

export class PrismaCasbinAdapter implements Adapter {
  constructor(private readonly db: ControlDb) {}

  async loadPolicy(model: Model): Promise<void> {
    const rows = await this.db.authorizationRule.findMany({ orderBy: { id: "asc" } });
    for (const row of rows) {
      const rule = columns.map((c) => row[c]);
      while (rule.length > 0 && rule[rule.length - 1] === "") rule.pop();
      model.addPolicy(row.ptype.charAt(0), row.ptype, rule);
    }
  }

  async savePolicy(): Promise<boolean> {
    throw new Error("savePolicy would rewrite the shared rules table; add or remove rules one by one");
  }

  async addPolicy(_sec: string, ptype: string, rule: string[]): Promise<void> {
    await this.db.authorizationRule.createMany({ data: [toRow(ptype, rule)], skipDuplicates: true });
  }

  async removePolicy(_sec: string, ptype: string, rule: string[]): Promise<void> {
    await this.db.authorizationRule.deleteMany({ where: toRow(ptype, rule) });
  }

  async removeFilteredPolicy(_sec: string, ptype: string, fieldIndex: number, ...values: string[]): Promise<void> {
    const where: Record<string, string> = { ptype };
    values.forEach((v, i) => {
      const column = columns[fieldIndex + i];
      if (v && column) where[column] = v;
    });
    await this.db.authorizationRule.deleteMany({ where });
  }
}
