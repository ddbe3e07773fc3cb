"""One module per ``planner`` command; each has ``register(subparsers)``.

``register`` adds the command's parser and sets ``run=`` to a function
taking the parsed arguments and returning the exit code.
"""

from planner.commands import compare, example, solve, template, validate

COMMANDS = (solve, validate, compare, template, example)
