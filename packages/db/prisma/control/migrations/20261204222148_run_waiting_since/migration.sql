-- AlterTable
ALTER TABLE "agent_runs" ADD COLUMN     "waiting_since" TIMESTAMP(3);
