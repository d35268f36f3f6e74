from django.urls import path

from . import views

urlpatterns = [
    path("meldingen/gelezen/", views.notification_read, name="notifications-read"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="notification-read"),
    path("meldingen/dagelijks-per-e-mail/", views.daily_digest_email, name="daily-digest-email"),
]
