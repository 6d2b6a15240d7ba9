-- AlterTable
ALTER TABLE "coding_conversations" ADD COLUMN     "external_id" TEXT;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "run_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "messages_run_id_key" ON "messages"("run_id");

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "agent_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
