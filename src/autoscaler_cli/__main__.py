from autoscaler_cli.main import cli

cli()
