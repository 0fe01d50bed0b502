"""The question bank: questions, their versions, categories and tags, and the question type
registry (`camp.bank.question_types`) that validates, shows and grades every question."""
