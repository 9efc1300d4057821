-- A provider that is a government body (a county IT department, a state hosting center) signs a management
-- control agreement instead of the CJIS Security Addendum (CJIS Security Policy 5.1.1.4).
ALTER TABLE "vendors" ADD COLUMN "government_body" boolean DEFAULT false NOT NULL;