from vault_export.cli import main

main()
