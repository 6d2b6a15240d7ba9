// Plans the offline model submits in tests (the planner's `submit_plan` tool input).

/** A plan whose first step asks a person `question` (a `human` step), then paints the fence with the answer. */
export const askingPlan = (question: string) => ({
  summary: "Ask, then paint",
  steps: [
    { id: "ask", title: "Ask", goal: "Pick a color", service: "human", instruction: question },
    { id: "paint", title: "Paint", goal: "Paint the fence", service: "nexus", depends_on: ["ask"] },
  ],
});
