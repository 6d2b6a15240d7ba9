-- CreateEnum
CREATE TYPE "DeploymentStatus" AS ENUM ('running', 'succeeded', 'rolled_back', 'failed');

-- CreateTable
CREATE TABLE "command_centers" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "server_id" TEXT,
    "session_secret_ciphertext" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "command_centers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "command_center_users" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "command_center_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "server_id" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'deploy',
    "version" TEXT NOT NULL,
    "status" "DeploymentStatus" NOT NULL DEFAULT 'running',
    "agent_versions" JSONB NOT NULL DEFAULT '[]',
    "config" JSONB NOT NULL DEFAULT '{}',
    "log" JSONB NOT NULL DEFAULT '[]',
    "previous" TEXT,
    "error" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "command_centers_organization_id_key" ON "command_centers"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "command_center_users_organization_id_email_key" ON "command_center_users"("organization_id", "email");

-- CreateIndex
CREATE INDEX "deployments_organization_id_created_at_idx" ON "deployments"("organization_id", "created_at");

-- AddForeignKey
ALTER TABLE "command_centers" ADD CONSTRAINT "command_centers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "command_centers" ADD CONSTRAINT "command_centers_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "customer_servers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "command_center_users" ADD CONSTRAINT "command_center_users_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "customer_servers"("id") ON DELETE SET NULL ON UPDATE CASCADE;
