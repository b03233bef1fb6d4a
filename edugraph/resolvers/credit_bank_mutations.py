"""Mutations of the credit bank: open an account, deposit, recognise and convert outcomes."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix
from edugraph.loaders import credit_bank as loaders
from edugraph.schema.credit_bank import CreditAccount, CreditConversion, LearningOutcome, OutcomeKind
from edugraph.schema.mutations import (
    IDEMPOTENCY_KEY_DESCRIPTION,
    InputCheck,
    UserError,
    Written,
    acts_as_centre,
    acts_for_learner,
    require_actor,
    require_visible,
    write,
)
from edugraph.schema.relations import fetch_one
from edugraph.store import collections as c
from edugraph.store import credit_writes, national_ids

MAX_TITLE_LENGTH = 200
MAX_RULE_LENGTH = 100
MAX_CREDITS = 60.0
MIN_CREDITS = 0.5


@strawberry.input(description="A learner opening their credit-bank account.")
class OpenCreditAccountInput:
    learner_id: strawberry.ID = strawberry.field(description="The account holder (`lrn_…`).")
    national_id: str = strawberry.field(
        description=(
            "The holder's 18-character national ID number (居民身份证号码). Only a keyed hash and a "
            "masked form are stored; one person can hold one account."
        )
    )
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The account opened, or why none was.")
class OpenCreditAccountPayload:
    account: CreditAccount | None = strawberry.field(description="The new account; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why no account was opened; empty on success.")


@strawberry.input(description="A learning outcome deposited (存入) in an account.")
class DepositLearningOutcomeInput:
    account_id: strawberry.ID = strawberry.field(description="The account (`acc_…`).")
    title: str = strawberry.field(description=f"What the outcome is, 1 to {MAX_TITLE_LENGTH} characters.")
    kind: OutcomeKind = strawberry.field(description="The sort of outcome.")
    credits: float = strawberry.field(description=f"Credits it is worth, {MIN_CREDITS:g} to {MAX_CREDITS:g}.")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.input(description="A certification centre recognising (认定) a deposited outcome.")
class RecogniseLearningOutcomeInput:
    outcome_id: strawberry.ID = strawberry.field(description="The outcome (`out_…`), in status DEPOSITED.")
    centre_id: strawberry.ID = strawberry.field(description="The recognising centre (`ctr_…`).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.input(
    description="Converting (转换) a recognised outcome into credits toward exactly one course or one major."
)
class ConvertLearningOutcomeInput:
    outcome_id: strawberry.ID = strawberry.field(description="The outcome (`out_…`), in status RECOGNISED.")
    credits: float = strawberry.field(description="Credits granted, at most the outcome's own credits.")
    rule: str = strawberry.field(
        description=f"The conversion rule applied, e.g. 专业-课程 (≤ {MAX_RULE_LENGTH} chars)."
    )
    target_course_id: strawberry.ID | None = strawberry.field(default=None, description="A park course (`crs_…`).")
    target_major_id: strawberry.ID | None = strawberry.field(default=None, description="A tutoring major (`maj_…`).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The learning outcome after the change, or why it did not change.")
class LearningOutcomePayload:
    outcome: LearningOutcome | None = strawberry.field(description="The outcome; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The conversion made, or why none was.")
class ConvertLearningOutcomePayload:
    conversion: CreditConversion | None = strawberry.field(description="The conversion; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why nothing was converted; empty on success.")


async def _outcome_payload(info: Info, written: Written) -> LearningOutcomePayload:
    loader = loaders.learning_outcome_by_id(info.context.loaders)
    outcome = await fetch_one(loader, written.record_id, LearningOutcome.from_doc)
    return LearningOutcomePayload(outcome=outcome, errors=written.errors)


@strawberry.type
class CreditBankMutation:
    @strawberry.mutation(description="Open a learner's credit-bank account (开户); one account per person.")
    async def open_credit_account(
        self, info: Info, input: Annotated[OpenCreditAccountInput, strawberry.argument(description="The holder.")]
    ) -> OpenCreditAccountPayload:
        check = InputCheck()
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        national_id = national_ids.normalise(input.national_id)
        check.require(
            national_ids.is_valid(national_id),
            field="nationalId",
            message="nationalId is not a valid 18-character national ID number.",
        )
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return OpenCreditAccountPayload(account=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        hash_key = info.context.settings.id_hash_key.get_secret_value().encode()
        written = await write(
            info,
            operation="openCreditAccount",
            key=key,
            # The fingerprint is a hash, so the ID number is not stored with the key either.
            arguments={"learnerId": learner_id, "nationalId": national_ids.keyed_hash(national_id, hash_key)},
            perform=lambda: credit_writes.open_account(info.context.db, learner_id, national_id, hash_key),
        )
        account = await fetch_one(
            loaders.credit_account_by_id(info.context.loaders), written.record_id, CreditAccount.from_doc
        )
        return OpenCreditAccountPayload(account=account, errors=written.errors)

    @strawberry.mutation(description="Deposit (存入) a learning outcome in an account; it starts DEPOSITED.")
    async def deposit_learning_outcome(
        self, info: Info, input: Annotated[DepositLearningOutcomeInput, strawberry.argument(description="The outcome.")]
    ) -> LearningOutcomePayload:
        check = InputCheck()
        account_id = check.id(IdPrefix.CREDIT_ACCOUNT, input.account_id, field="accountId")
        title = check.text(input.title, field="title", max_length=MAX_TITLE_LENGTH)
        credits = check.number(input.credits, field="credits", low=MIN_CREDITS, high=MAX_CREDITS)
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return LearningOutcomePayload(outcome=None, errors=check.errors)
        account = await require_visible(info, c.CREDIT_ACCOUNTS, account_id)
        require_actor(info, "learner_id" not in account or acts_for_learner(info.context.viewer, account["learner_id"]))
        kind = input.kind.name
        written = await write(
            info,
            operation="depositLearningOutcome",
            key=key,
            arguments={"accountId": account_id, "title": title, "kind": kind, "credits": credits},
            perform=lambda: credit_writes.deposit_outcome(info.context.db, account_id, title, kind, credits),
        )
        return await _outcome_payload(info, written)

    @strawberry.mutation(description="A certification centre recognises (认定) a DEPOSITED outcome.")
    async def recognise_learning_outcome(
        self,
        info: Info,
        input: Annotated[RecogniseLearningOutcomeInput, strawberry.argument(description="Outcome and centre.")],
    ) -> LearningOutcomePayload:
        check = InputCheck()
        outcome_id = check.id(IdPrefix.LEARNING_OUTCOME, input.outcome_id, field="outcomeId")
        centre_id = check.id(IdPrefix.CERTIFICATION_CENTRE, input.centre_id, field="centreId")
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return LearningOutcomePayload(outcome=None, errors=check.errors)
        require_actor(info, acts_as_centre(info.context.viewer, centre_id))
        written = await write(
            info,
            operation="recogniseLearningOutcome",
            key=key,
            arguments={"outcomeId": outcome_id, "centreId": centre_id},
            perform=lambda: credit_writes.recognise_outcome(info.context.db, outcome_id, centre_id),
        )
        return await _outcome_payload(info, written)

    @strawberry.mutation(description="Convert (转换) a RECOGNISED outcome into credits; an outcome converts once.")
    async def convert_learning_outcome(
        self,
        info: Info,
        input: Annotated[ConvertLearningOutcomeInput, strawberry.argument(description="Outcome, credits, target.")],
    ) -> ConvertLearningOutcomePayload:
        check = InputCheck()
        outcome_id = check.id(IdPrefix.LEARNING_OUTCOME, input.outcome_id, field="outcomeId")
        credits = check.number(input.credits, field="credits", low=MIN_CREDITS, high=MAX_CREDITS)
        rule = check.text(input.rule, field="rule", max_length=MAX_RULE_LENGTH)
        course_id = check.optional_id(IdPrefix.COURSE, input.target_course_id, field="targetCourseId")
        major_id = check.optional_id(IdPrefix.MAJOR, input.target_major_id, field="targetMajorId")
        check.require(
            (course_id is None) != (major_id is None),
            field="targetCourseId",
            message="Give exactly one of targetCourseId and targetMajorId.",
        )
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return ConvertLearningOutcomePayload(conversion=None, errors=check.errors)
        require_actor(info, acts_as_centre(info.context.viewer))
        await require_visible(info, c.LEARNING_OUTCOMES, outcome_id)
        written = await write(
            info,
            operation="convertLearningOutcome",
            key=key,
            arguments={
                "outcomeId": outcome_id,
                "credits": credits,
                "rule": rule,
                "course": course_id,
                "major": major_id,
            },
            perform=lambda: credit_writes.convert_outcome(
                info.context.db,
                outcome_id,
                credits=credits,
                rule=rule,
                target_course_id=course_id,
                target_major_id=major_id,
            ),
        )
        conversion = await fetch_one(
            loaders.credit_conversion_by_id(info.context.loaders), written.record_id, CreditConversion.from_doc
        )
        return ConvertLearningOutcomePayload(conversion=conversion, errors=written.errors)
