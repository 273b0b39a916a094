"""Money: contributions, loans, repayments and expenses on the append-only ledger of the two funds.

One module per flow; handlers/registry.py names the commands and the roles allowed.
"""

from handlers.money import (
    board_chat,
    club_rules,
    contributions,
    corrections,
    due_list,
    expenses,
    funds,
    loans,
    repayments,
    statement,
)

contribution_flow = contributions.flow
loan_flow = loans.flow
repayment_flow = repayments.flow
expense_flow = expenses.flow
funds_flow = funds.flow
statement_flow = statement.flow
due_flow = due_list.flow
undo_flow = corrections.flow
rules_flow = club_rules.flow
group_flow = board_chat.flow
