// The seed's data flows through the running platform: the UI and its Step 2 curl sequence.
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./ports";
import { demoBearer, signIn } from "./sign-in";

test.describe.configure({ mode: "serial" });

async function createAgent(page: Page, name: string, type: string, fields: Record<string, string>) {
  await page.goto("/agents");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Type").selectOption(type);
  for (const [label, value] of Object.entries(fields)) {
    const field = page.getByLabel(label);
    if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

test("a conversational agent's reply streams into the run page (Nexus, offline Claude)", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Greeter", "claude-conversational", { "System prompt": "Be friendly." });
  await page.getByLabel("Prompt", { exact: true }).fill("Hello, how are you?");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("run-output")).toContainText("[offline]", { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  // Its usage reaches CodingObserver and comes back as the run's metrics.
  await expect(page.getByTestId("run-metrics")).toContainText(/Tokens\s*[1-9]/, { timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("run-conversational.png"), fullPage: true });
  await page.goto("/runs");
  await expect(page.getByRole("cell", { name: "Greeter" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("runs.png"), fullPage: true });
});

test("a code-execution agent's terminal output streams into the run page (Smith)", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Greeting writer", "shell", {
    "Workspace (folder under the server's workspace root)": "e2e-greeting",
    "Command to start (blank for a shell)": "echo hello-from-smith > greeting.txt && cat greeting.txt",
  });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("terminal").locator(".xterm-rows")).toContainText("hello-from-smith", { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("run-shell.png"), fullPage: true });
});

test("a shell agent set to git worktrees runs in its own branch, and the run page says which", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  const workspace = { "Workspace (folder under the server's workspace root)": "e2e-repo" };
  await createAgent(page, "Repo init", "shell", {
    ...workspace,
    "Command to start (blank for a shell)": "git init -q && git -c user.name=e2e -c user.email=e2e@example.com commit -q --allow-empty -m base",
  });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await createAgent(page, "Branch writer", "shell", {
    ...workspace,
    "Command to start (blank for a shell)": "echo from-a-worktree > notes.txt",
    "Runs at once": "worktree",
  });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("run-worktree")).toContainText(/In its own git worktree .+ on branch \S+, from commit [0-9a-f]{12}/);
  await expect(page.getByTestId("run-changes")).toContainText("notes.txt");
  await page.screenshot({ path: info.outputPath("run-worktree.png"), fullPage: true });
});

test("the run page's terminal takes typing, shows the output, survives a reload, and lists the file it wrote", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Pair shell", "shell", { "Workspace (folder under the server's workspace root)": "e2e-terminal" });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("terminal-state")).toHaveText("live — type here", { timeout: 30_000 });
  const terminal = page.getByTestId("terminal");
  // The shell echoes the command line too: the output is the row holding only the text.
  const outputRow = terminal.locator(".xterm-rows > div").filter({ hasText: /^\s*typed-in-the-browser\s*$/ });
  await terminal.click();
  await page.keyboard.type("echo typed-in-the-browser > note.txt && cat note.txt && echo line-two >> note.txt\n");
  await expect(outputRow).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId("run-changes")).toContainText("note.txt", { timeout: 15_000 });
  await expect(page.getByTestId("run-changes")).toContainText("+2");
  // The metrics agree with the list of changes.
  await expect(page.getByTestId("run-metrics")).toContainText(/Files changed\s*1\s*Lines \+\/−\s*\+2 \/ −0/, { timeout: 15_000 });

  // A reload reconnects with a fresh token and replays the session from its first byte, once.
  await page.reload();
  await expect(page.getByTestId("terminal-state")).toHaveText("live — type here", { timeout: 30_000 });
  await expect(outputRow).toHaveCount(1);
  await expect(page.getByTestId("run-changes")).toContainText("note.txt");
  await page.screenshot({ path: info.outputPath("run-terminal.png"), fullPage: true });
  await terminal.click();
  await page.keyboard.type("exit\n");
  await expect(page.getByTestId("terminal-state")).toHaveText("session ended", { timeout: 15_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
});

test("an agent runs on the server picked for it; removing that server stops the run, and the run page says why", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/servers");
  const add = page.getByRole("region", { name: "Add a server" });
  await add.getByLabel("Name", { exact: true }).fill("Spare box");
  await add.getByLabel("KayNexus URL").fill(`http://127.0.0.1:${E2E.nexusPort}`);
  await add.getByLabel("KaySmith URL").fill(`http://127.0.0.1:${E2E.smithPort}`);
  await add.getByLabel("CodingObserver URL").fill(`http://127.0.0.1:${E2E.observerPort}`);
  await add.getByLabel("Agent services API key").fill(E2E.spareKey);
  await add.getByRole("button", { name: "Add server" }).click();
  await expect(page.getByTestId("server-Spare box")).toBeVisible();

  await createAgent(page, "Spare shell", "shell", { "Workspace (folder under the server's workspace root)": "e2e-spare", "Runs on server": "Spare box" });
  await expect(page.getByLabel("Runs on server")).toHaveValue(/\S/);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("terminal-state")).toHaveText("live — type here", { timeout: 30_000 });
  await expect(page.getByText("shell on smith · Spare box")).toBeVisible();
  const run = page.url();

  await page.goto("/servers");
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toBe("Remove Spare box? Runs still going on it are stopped first.");
    void dialog.accept();
  });
  await page.getByTestId("server-Spare box").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("server-Spare box")).toHaveCount(0);
  await page.goto(run);
  await expect(page.getByTestId("run-status")).toHaveText("stopped");
  await expect(page.getByTestId("run-error")).toHaveText('Stopped: its server "Spare box" was deleted');
  // Its terminal, changes and analytics were on that server: the page says so instead of trying them.
  await expect(page.getByTestId("run-server-gone")).toBeVisible();
  await expect(page.getByTestId("terminal")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("run-server-removed.png"), fullPage: true });
  await page.goto("/runs");
  await expect(page.getByRole("row").filter({ hasText: "Spare shell" })).toContainText("stopped");
  await expect(page.getByRole("row").filter({ hasText: "Spare shell" })).toContainText("deleted");
});

test("when the browser cannot reach Smith, the terminal goes through the web server: typing, output, size", async ({ page }, info) => {
  // Smith's port is closed to this browser (as on a private agent host): every terminal WebSocket fails.
  await page.routeWebSocket(/\/api\/v1\/sessions\/.+\/terminal/, (ws) => void ws.close({ code: 4000, reason: "unreachable" }));
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Relay shell", "shell", { "Workspace (folder under the server's workspace root)": "e2e-relay" });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("terminal-state")).toHaveText("live — type here", { timeout: 30_000 });
  await expect(page.getByTestId("terminal-route")).toContainText("Through the web server");
  const terminal = page.getByTestId("terminal");
  await terminal.click();
  await page.keyboard.type("echo relayed-$((6*7)) size=$(stty size)\n");
  // The shell echoes the command line too: the output is the row that starts with the result.
  const output = terminal.locator(".xterm-rows > div").filter({ hasText: /^\s*relayed-42 size=\d+ \d+\s*$/ });
  await expect(output).toHaveCount(1, { timeout: 15_000 });
  // The session has the browser terminal's size, sent through the web server too.
  const [rows, cols] = (await output.innerText()).trim().split("=")[1]!.split(" ").map(Number);
  expect(cols).toBeGreaterThan(80);
  expect(rows).toBeGreaterThan(5);
  await page.screenshot({ path: info.outputPath("run-terminal-relay.png"), fullPage: true });
  await page.keyboard.type("exit\n");
  await expect(page.getByTestId("terminal-state")).toHaveText("session ended", { timeout: 15_000 });
});

test("a Claude Code run shows the agent's activity: its messages and the final result", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Coder", "claude_code", {
    "Workspace (folder under the server's workspace root)": "e2e-claude",
    "Task for Claude Code": "Say hello to the team",
  });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
  const activity = page.getByTestId("run-activity");
  await expect(activity.getByTestId("activity-text")).toContainText("[offline]");
  await expect(activity.getByTestId("activity-result")).toContainText(/done after \d+ turns?/);
  // Smith hands the CLI's transcript to CodingObserver: the run's tokens show up in its metrics.
  await expect(page.getByTestId("run-metrics")).toContainText(/Tokens\s*[1-9]/, { timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("run-claude-code.png"), fullPage: true });
});

test("a Claude Code agent set to ask waits on the run page until the builder allows its tool use", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Careful coder", "claude_code", {
    "Workspace (folder under the server's workspace root)": "e2e-approvals",
    "Task for Claude Code": "Create approved.txt (approval please)",
    "Tool use": "ask",
  });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const approvals = page.getByTestId("run-approvals");
  await expect(approvals.getByTestId("approval")).toContainText("Bash", { timeout: 60_000 });
  await expect(approvals).toContainText("The agent waits for your decision.");
  await expect(page.getByTestId("run-status")).toHaveText("running");
  await page.screenshot({ path: info.outputPath("run-approval-waiting.png"), fullPage: true });
  await approvals.getByRole("button", { name: "Allow Bash" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(approvals).toContainText("allowed");
  await expect(page.getByTestId("run-activity").getByTestId("activity-result")).toContainText("done");
  await expect(page.getByTestId("run-changes")).toContainText("approved.txt");
  await page.screenshot({ path: info.outputPath("run-approval-allowed.png"), fullPage: true });
});

test("a planner whose plan asks a person waits on the run page until the builder answers", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Asking planner", "complete-planner", { "Planning instructions": "Plan briefly." });
  await page.getByLabel("Prompt", { exact: true }).fill("Paint the fence (ask me first)");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const question = page.getByTestId("run-question");
  await expect(question).toContainText("Which color should the fence be?", { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("running");
  await expect(page.getByRole("list", { name: "Steps" })).toContainText("ask: waiting for your answer");
  await page.screenshot({ path: info.outputPath("run-question.png"), fullPage: true });
  // The runs list says which run waits for an answer, and leads to it.
  await page.goto("/runs");
  await page.getByTestId("run-waiting").first().click();
  await expect(question).toContainText("Which color should the fence be?");
  await question.getByLabel("Your answer").fill("teal");
  await question.getByRole("button", { name: "Send answer" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 30_000 });
  await expect(question).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Steps" })).toContainText("paint: finished");
});

test("a coding conversation: the reply streams into the chat, the next turn keeps the history", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/conversations");
  await page.getByLabel("Agent").selectOption({ label: "Greeter (claude-conversational)" });
  await page.getByLabel("Title (optional)").fill("Planning the launch");
  await page.getByRole("button", { name: "Start conversation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Planning the launch" })).toBeVisible();
  await expect(page.getByText("No messages yet")).toBeVisible();

  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator("#message-problem")).toHaveText("Write a message first");
  await page.getByRole("textbox", { name: "Message" }).fill("Draft a launch checklist");
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(page.getByTestId("message-user")).toHaveText(/Draft a launch checklist/);
  await expect(page.getByTestId("message-assistant")).toContainText("[offline]", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Send" })).toBeEnabled({ timeout: 30_000 });

  await page.getByRole("textbox", { name: "Message" }).fill("Make it shorter");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("message-assistant")).toHaveCount(2);
  await expect(page.getByTestId("message-assistant").nth(1)).toContainText("[offline]", { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId("message-user")).toHaveCount(2);
  await page.screenshot({ path: info.outputPath("conversation.png"), fullPage: true });
  await page.goto("/conversations");
  await expect(page.getByRole("link", { name: "Planning the launch" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("conversations.png"), fullPage: true });
});

test("a run started over REST that nobody opens still ends in the runs list (the server's run reconciler)", async ({ page, request }) => {
  const headers = await demoBearer(request);
  const started = await request.post("/api/v1/agents/execute", { headers, data: { agent_type: "claude-conversational", prompt: "Work while nobody watches" } });
  expect(started.status()).toBe(201);
  const { id } = (await started.json()) as { id: string };
  // Never polled, never opened: only the reconciler can learn how it ended.
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/runs");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: id.slice(-8), exact: true }) });
  await expect(row.getByRole("cell", { name: "succeeded", exact: true })).toBeVisible({ timeout: 30_000 });
});

test("the analytics page renders for the organization", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/analytics");
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0, { timeout: 20_000 });
  // The conversational run above shows up as tokens, cost and a bar per day and per model.
  await expect(page.getByTestId("analytics-totals")).toContainText(/Tokens\s*[1-9]/);
  await expect(page.getByRole("region", { name: "Tokens per day" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Tokens by model" })).toContainText("claude-sonnet");
  // The control plane's own run figures: that run by agent, with its duration.
  await expect(page.getByTestId("run-totals")).toContainText(/\d+ runs/);
  const durations = page.getByRole("region", { name: "Run duration by agent (seconds)" });
  await expect(durations).toContainText("Greeter");
  await expect(durations.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.screenshot({ path: info.outputPath("analytics.png"), fullPage: true });
});

test("the seed's Step 2 curl sequence works against the platform", async ({ request }) => {
  const login = await request.post("/api/v1/auth/login", { data: { email: E2E.demo.email, password: E2E.demo.password } });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };

  const chat = await request.post("/api/v1/agents/execute", {
    headers: auth,
    data: { agent_type: "claude-conversational", prompt: "Hello, how are you?" },
  });
  expect(chat.status()).toBe(201);
  expect(await chat.json()).toMatchObject({ service: "nexus", status: expect.any(String), stream_url: expect.stringMatching(/^\/api\/runs\//) });

  const code = await request.post("/api/v1/agents/execute", {
    headers: auth,
    data: { agent_type: "claude_code", workspace: "/tmp/test-workspace" },
  });
  expect(code.status()).toBe(201);
  const session = (await code.json()) as { session_id: string; service: string };
  expect(session).toMatchObject({ service: "smith", session_id: expect.any(String) });

  const analytics = await request.get(`/api/v1/analytics/session/${session.session_id}`, { headers: auth });
  expect([200, 404]).toContain(analytics.status());
  const body = (await analytics.json()) as Record<string, unknown>;
  if (analytics.status() === 200) expect(body).toMatchObject({ tokens: expect.any(Number), files: expect.any(Number), duration: expect.any(Number) });
  else expect(body.message).toContain(session.session_id);
});
