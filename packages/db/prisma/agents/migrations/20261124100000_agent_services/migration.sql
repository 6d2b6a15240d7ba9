-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "system" TEXT,
ADD COLUMN     "title" TEXT;

-- AlterTable
ALTER TABLE "conversation_messages" ADD COLUMN     "execution_id" TEXT;

-- AlterTable
ALTER TABLE "kaygraph_definitions" ADD COLUMN     "description" TEXT;

-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "cache_read_tokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "definition_id" TEXT,
ADD COLUMN     "graph" JSONB,
ADD COLUMN     "heartbeat_at" TIMESTAMP(3),
ADD COLUMN     "model" TEXT,
ADD COLUMN     "model_calls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ttft_ms" INTEGER,
ADD COLUMN     "waiting_for" JSONB;

-- AlterTable
ALTER TABLE "smith_sessions" ADD COLUMN     "agent_result" JSONB,
ADD COLUMN     "agent_session_id" TEXT,
ADD COLUMN     "cols" INTEGER NOT NULL DEFAULT 120,
ADD COLUMN     "end_reason" TEXT,
ADD COLUMN     "mode" TEXT NOT NULL DEFAULT 'pty',
ADD COLUMN     "output_bytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "output_path" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prompt" TEXT,
ADD COLUMN     "reported_bytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "rows" INTEGER NOT NULL DEFAULT 32,
ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "workspace_path" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "snapshots" ADD COLUMN     "commit_sha" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "file_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "total_bytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "tree_sha" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "workspace" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "nexus_execution_events" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" TEXT NOT NULL,
    "execution_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "nexus_execution_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "nexus_graph_checkpoints" (
    "run_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "graph_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "checkpoint" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "nexus_graph_checkpoints_pkey" PRIMARY KEY ("run_id")
);

-- CreateTable
CREATE TABLE "usage_events" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "message_id" TEXT,
    "request_id" TEXT,
    "is_sidechain" BOOLEAN NOT NULL DEFAULT false,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_5m_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_1h_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "fast" BOOLEAN NOT NULL DEFAULT false,
    "cost_usd" DOUBLE PRECISION,
    "cost_source" TEXT NOT NULL DEFAULT 'computed',
    "price_version" TEXT,
    "latency_ms" INTEGER,
    "ttft_ms" INTEGER,
    "execution_id" TEXT,
    "agent_id" TEXT,
    "is_error" BOOLEAN NOT NULL DEFAULT false,
    "tool_calls" JSONB,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "nexus_execution_events_execution_id_seq_key" ON "nexus_execution_events"("execution_id", "seq");

-- CreateIndex
CREATE INDEX "nexus_graph_checkpoints_organization_id_idx" ON "nexus_graph_checkpoints"("organization_id");

-- CreateIndex
CREATE INDEX "usage_events_organization_id_session_id_timestamp_idx" ON "usage_events"("organization_id", "session_id", "timestamp");

-- CreateIndex
CREATE INDEX "usage_events_organization_id_timestamp_idx" ON "usage_events"("organization_id", "timestamp");

-- CreateIndex
CREATE INDEX "usage_events_organization_id_message_id_idx" ON "usage_events"("organization_id", "message_id");

-- CreateIndex
CREATE UNIQUE INDEX "usage_events_organization_id_event_id_key" ON "usage_events"("organization_id", "event_id");

-- CreateIndex
CREATE INDEX "executions_status_idx" ON "executions"("status");

-- CreateIndex
CREATE INDEX "smith_sessions_status_idx" ON "smith_sessions"("status");

-- CreateIndex
CREATE INDEX "log_entries_timestamp_idx" ON "log_entries" USING BRIN ("timestamp");
