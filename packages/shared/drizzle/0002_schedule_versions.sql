CREATE TABLE "schedule_versions" (
	"schedule_name" text PRIMARY KEY NOT NULL,
	"last_version" integer NOT NULL
);
