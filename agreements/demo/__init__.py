"""The demo county: fictional people and texts, real place names. Every seeder is idempotent.

``manage.py seed_demo`` runs ``seed_directory`` and ``seed_users`` first (every app's demo builds on
the directory and the demo logins), then each app's registered demo seeder; agreements registers
``seed`` (in ``AgreementsConfig.ready()``).

* ``directory``: areas, principals, units, local groups and the demo users
  (from ``directory_data``, the county's reference data);
* ``agreements``: the county agreement and Täby's agreement; ``groups``: the other groups';
* ``helpers`` and ``texts``: building blocks and the Swedish demo text they share.
"""

from agreements.demo.agreements import seed
from agreements.demo.directory import seed_directory, seed_users

__all__ = ["seed", "seed_directory", "seed_users"]
