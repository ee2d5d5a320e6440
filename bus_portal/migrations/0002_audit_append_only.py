"""Make the audit table append-only at the database level on PostgreSQL.

The model guards updates and deletes everywhere; on PostgreSQL a trigger also refuses them
for raw SQL and other clients. TRUNCATE (used only by test teardown) is not a row event.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION bus_portal_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'bus_portal_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER bus_portal_auditevent_append_only
    BEFORE UPDATE OR DELETE ON bus_portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION bus_portal_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS bus_portal_auditevent_append_only ON bus_portal_auditevent;
DROP FUNCTION IF EXISTS bus_portal_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("bus_portal", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
