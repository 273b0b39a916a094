"""Money: contributions, loans, repayments and expenses on the append-only ledger of the two funds.

One module per job; handlers/registry.py names the commands and the roles allowed.
"""

from handlers.money import balances, contributions, corrections, expenses, loans, repayments, rules

contribution_flow = contributions.flow
loan_flow = loans.flow
repayment_flow = repayments.flow
expense_flow = expenses.flow
funds_flow = balances.funds_flow
statement_flow = balances.statement_flow
due_flow = balances.due_flow
undo_flow = corrections.flow
rules_flow = rules.rules_flow
group_flow = rules.group_flow
