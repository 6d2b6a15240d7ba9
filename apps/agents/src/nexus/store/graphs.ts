// Stored KayGraph definitions; a name saved again becomes its next version.
import type { GraphView } from "@kayos/contracts";
import type { AgentsDb, KaygraphDefinition, Prisma } from "@kayos/db/agents";
import { HttpError } from "../../shared/errors";

export class GraphStore {
  constructor(private readonly db: AgentsDb) {}

  async create(organizationId: string, name: string, description: string | undefined, definition: Prisma.InputJsonValue) {
    for (let attempt = 0; ; attempt++) {
      const last = await this.db.kaygraphDefinition.findFirst({ where: { organizationId, name }, orderBy: { version: "desc" } });
      try {
        return await this.db.kaygraphDefinition.create({
          data: { organizationId, name, description, definition, version: (last?.version ?? 0) + 1 },
        });
      } catch (error) {
        // Two saves of one name at once: the loser takes the next version.
        if ((error as { code?: string }).code !== "P2002" || attempt >= 3) throw error;
      }
    }
  }

  list(organizationId: string) {
    return this.db.kaygraphDefinition.findMany({ where: { organizationId }, orderBy: [{ name: "asc" }, { version: "desc" }], take: 1000 });
  }

  async get(organizationId: string, id: string) {
    const row = await this.db.kaygraphDefinition.findFirst({ where: { id, organizationId } });
    if (!row) throw new HttpError(404, `No graph definition ${id}`);
    return row;
  }
}

export function graphViewOf(row: KaygraphDefinition): GraphView {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    description: row.description,
    definition: row.definition,
    created_at: row.createdAt.toISOString(),
  };
}
