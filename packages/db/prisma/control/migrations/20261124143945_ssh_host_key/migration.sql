-- AlterTable
ALTER TABLE "customer_servers" ADD COLUMN     "ssh_host_key" TEXT;
