"""``python -m bench``: AWS calls, wall time and peak memory of the controller against the naive way.

Not part of the test suite: it prints numbers and checks the issue's targets (PASS/FAIL), it does not assert.

- ``server``    moto_server (``localaws.LocalAws`` with the fidelity layer) in a child process; it pages like AWS.
- ``world``     N opted-in endpoints with a realistic mix, and the shared profiles in SSM.
- ``passes``    (a) first apply, (b) sweep without drift, (c) sweep after a profile change, (d) one reconcile; and
                the same passes done the naive way (register and put everything, read nothing).
- ``coldstart`` handler import (with the clients it creates) against ``import boto3`` plus the same clients.
- ``report``    the table, the targets, the JSON and the plot.
"""
