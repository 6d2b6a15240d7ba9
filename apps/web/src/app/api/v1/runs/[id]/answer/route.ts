import { answerInput } from "@kayos/api/routers/runs/schema";
import { NextResponse } from "next/server";
import { readJson } from "~/server/rest";
import { withCaller } from "~/server/rest-caller";

type Params = { params: Promise<{ id: string }> };

/** `{answer}` for the question a planner or graph run waits on (its `waitingFor`); the run goes on with it. */
export async function POST(req: Request, { params }: Params) {
  const { id } = await params;
  const body = await readJson(req, answerInput.omit({ id: true }));
  if (body instanceof NextResponse) return body;
  return withCaller(req, async (api) => {
    await api.runs.answer({ id, answer: body.answer });
    return { id, answered: true };
  });
}
