"""People: offices, law firms, lawyers, accounts, standing (removal and suspension), lawyer spreadsheets in and out."""
