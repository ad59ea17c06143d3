from nhsgraph.cli import main

main()
