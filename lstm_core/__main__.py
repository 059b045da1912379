from lstm_core.cli import main

raise SystemExit(main())
