-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "unpriced_models" TEXT[] DEFAULT ARRAY[]::TEXT[];
