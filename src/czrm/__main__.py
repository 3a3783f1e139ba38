from czrm.cli import app

app()
