import datetime
import random
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from bus_portal.registry import portal
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
        for seeder in [*portal.ordered_scale_seeders(), seed_audit_rows]:
            step = time.monotonic()
            counts = seeder(ctx)
            details = ", ".join(f"{k}={v}" for k, v in counts.items())
            name = f"{seeder.__module__}.{seeder.__qualname__}"
            self.stdout.write(f"{name}: {details} ({time.monotonic() - step:.1f} s)")
        if connection.vendor == "postgresql":
            # Fresh statistics and visibility maps, as autovacuum would leave them in production.
            step = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write(f"VACUUM ANALYZE ({time.monotonic() - step:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"seed_scale {scale}: {time.monotonic() - started:.1f} s")
        )
