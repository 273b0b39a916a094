"""Money: contributions, loans, repayments and expenses on the append-only ledger of the two funds.

One module per flow, named after it; common.py holds what they share; handlers/registry.py names the
commands and the roles allowed.
"""

from handlers.money import (
    board_chat,
    club_rules,
    contribution,
    due_list,
    expense,
    funds,
    loan,
    repayment,
    statement,
    undo,
)

contribution_flow = contribution.flow
loan_flow = loan.flow
repayment_flow = repayment.flow
expense_flow = expense.flow
funds_flow = funds.flow
statement_flow = statement.flow
due_flow = due_list.flow
undo_flow = undo.flow
rules_flow = club_rules.flow
group_flow = board_chat.flow
