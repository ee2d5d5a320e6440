import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from bus_portal.scale import SIZES, ScaleContext, seed_audit_rows


class Command(BaseCommand):
    help = "Generate realistic data at county or national scale with bulk inserts (for make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SIZES), default="county")
        parser.add_argument("--seed", type=int, default=20261122)

    def handle(self, *args, scale, seed, **options):
        ctx = ScaleContext(
            scale=scale,
            sizes=SIZES[scale],
            rng=random.Random(seed),
            today=timezone.localdate() if scale else datetime.date.today(),
        )
        started = time.monotonic()
        for path in [*settings.BUS_SCALE_SEEDERS, "bus_portal.scale.seed_audit_rows"]:
            step = time.monotonic()
            seeder = seed_audit_rows if path.endswith("seed_audit_rows") else import_string(path)
            counts = seeder(ctx)
            details = ", ".join(f"{k}={v}" for k, v in counts.items())
            self.stdout.write(f"{path}: {details} ({time.monotonic() - step:.1f} s)")
        if connection.vendor == "postgresql":
            # Fresh statistics and visibility maps, as autovacuum would leave them in production.
            step = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"VACUUM ANALYZE ({time.monotonic() - step:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"seed_scale {scale}: {time.monotonic() - started:.1f} s")
        )
