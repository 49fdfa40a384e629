"""The form page every app uses: valid data goes to one service, and a ValidationError the
service raises is shown on the form (next to its field) with nothing saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.views.generic import FormView

from sendhub.forms import add_service_errors


class ServiceFormView(FormView):
    title = ""
    submit_label = "Save"
    success_message = ""

    def run_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.result = self.run_service(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, submit_label=self.submit_label)
        return context
